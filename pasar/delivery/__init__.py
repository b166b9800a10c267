"""The market's courier queue (antrian ojek pangkalan): check-in, fair offers, batched trips routed with VROOM,
external courier hand-off.
"""
