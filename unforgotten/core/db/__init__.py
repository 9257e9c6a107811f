"""Database backends of the platform (decision 0027): Django's, with what Unforgotten needs changed."""
