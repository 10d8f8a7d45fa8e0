"""Reference data of the subject register (plain Python data, no database access at import time)."""
