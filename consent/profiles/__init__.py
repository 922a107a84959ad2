"""The professional's own profile card (name, organisation, role, phone), sealed to
themselves: no invite without it (docs/professionals.md, "Profile before invite")."""
