# English dates as the UN writes them for an international readership: "10 Dec 2021", never the
# US numeric "12/10/2021" that reads as 12 October elsewhere; 24-hour times. Everything not set here
# (input formats, separators) is Django's own English.
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
