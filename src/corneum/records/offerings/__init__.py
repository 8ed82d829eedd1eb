"""The procedures a clinic offers: on or off, its own price and the minutes its calendar holds."""
