// Dates in fixtures carry their own zones; pinning TZ keeps any local-time rendering stable.
process.env.TZ = 'UTC';
