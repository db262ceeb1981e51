spf-lint --offline --zone zones/db.empty.example
