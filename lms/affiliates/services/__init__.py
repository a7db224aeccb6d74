"""Affiliate rules, one module per part of the domain (flush, never commit):

``programmes`` (programmes, applications, codes, rules), ``attribution`` (who referred an order),
``commissions`` (amounts, ledger postings, lifecycle), ``fraud`` (checks and review), ``payouts``.
"""
