nomail-gen --json --rua mailto:d@example.net parked.example.com
