from solders.pubkey import Pubkey

PROGRAM_ID = Pubkey.from_string("HVWZE8fNLpX9JT4YM1z4phDAKg92V1jkyEKgmJc45T4X")
