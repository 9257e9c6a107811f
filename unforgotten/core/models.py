# Core has no tables of its own; this module exists so post_migrate reaches CoreConfig (see apps.py).
