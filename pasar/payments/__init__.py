"""Payment primitives: QRIS payloads, provider adapters, bank-transfer unique codes (no models yet)."""
