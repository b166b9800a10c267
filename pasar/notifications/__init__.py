"""Messages to buyers, traders and couriers about their orders: an in-app inbox plus a channel adapter
(WhatsApp/SMS) behind an interface.
"""
