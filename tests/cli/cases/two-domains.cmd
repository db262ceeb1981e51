spf-lint a.example b.example
