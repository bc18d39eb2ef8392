"""Sources: the catalogue of upstream files and how to obtain them (local data dir or download)."""
