"""Daily commodity prices per market from the stalls' listed prices, roll-ups by region, reference prices
(HET/HAP, Bapanas, PIHPS), the public price board.
"""
