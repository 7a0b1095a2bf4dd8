"""The staff pages: start page, watch list, registration, the complaint page with its actions,
letters and the outbox.
"""
