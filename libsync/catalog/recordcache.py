from libsync.recordcache import *  # moved; see libsync/recordcache.py
from libsync.recordcache import CACHE_FILE, LoadedRecords, cache_dir, load_records, records_stamp  # noqa: F401
