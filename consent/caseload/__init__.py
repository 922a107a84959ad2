"""The professional's read model: the caseload ("Mijn jongeren"), one youth's shared view and
the plans behind "Acties die binnenkort moeten". Only ciphertext and public facts leave here;
the browser opens the profile cards, section keys and entries. Who may read a section is still
decided, and logged, by `consent.authorisation` for every section read or written.

Keys and flags only: the Dutch words for sections, rights and states belong to `web/`."""
