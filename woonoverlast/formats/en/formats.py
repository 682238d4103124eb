"""British date, time and number formats for the English interface (see ../__init__.py).

Syntax: https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date
"""

DATE_FORMAT = "j F Y"  # 25 December 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 25 December 2026, 14:30
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"  # 25/12/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 25/12/2026 14:30
FIRST_DAY_OF_WEEK = 1  # Monday

# Typed dates and times: day first, as written in Britain (and ISO, which date inputs send).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M",
    "%d-%m-%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
