"""Our own date and number formats per language (`FORMAT_MODULE_PATH`).

Only English has one: Django's `en` formats are American (12/25/2026, 2:30 p.m.); the
English interface of a Dutch municipality uses British ones (25/12/2026, 14:30). Dutch
uses Django's own `nl` formats.
"""
