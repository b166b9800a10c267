"""Training and mentoring events for traders and who attended them."""
