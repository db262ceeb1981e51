spf-lint --zone zones/db.missing example.com
