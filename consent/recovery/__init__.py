"""Recovery through a contact: setup, requests, approval, veto and release (docs/crypto.md
"Recovery contact", docs/recovery.md)."""
