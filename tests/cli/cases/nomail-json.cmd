nomail-gen --offline --json --rua mailto:d@example.net parked.example.com
