"""Payments: QRIS payloads, provider adapters, payment attempts and notifications, the ledger and settlement."""
