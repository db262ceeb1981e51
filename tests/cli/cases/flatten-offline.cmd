spf-flatten --offline --zone zones/db.example.com --source example.com --resolve-a-mx example.com
