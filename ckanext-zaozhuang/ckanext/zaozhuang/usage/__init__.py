"""Usage figures: how often each dataset's page is viewed, its data downloaded and its API
called. Counted in Redis as requests are answered (cheap, no write to PostgreSQL on the
request path), folded into daily rows by the scheduler, indexed with each dataset so that
search can sort by them, and read by the home page, the dataset page and supervision."""
