"""School campaigns: a consent request sent to a cohort, and the partner clients that let a
school's student information system run one (OAuth 2.0 client credentials)."""
