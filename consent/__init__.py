"""consent package: parties, connections, grants, revocation, requests, receipts, access log."""
