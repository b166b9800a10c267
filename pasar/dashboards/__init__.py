"""What the dinas and the market see: adoption, training, sales; summary tables built by background jobs; exports."""
