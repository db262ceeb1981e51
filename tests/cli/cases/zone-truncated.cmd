spf-lint --offline --zone zones/db.example.com boom.example.com
