spf-lint --offline --zone zones/db.example.com --strict --record 'v=spf1 include:_spf.example.com ?all' example.com
