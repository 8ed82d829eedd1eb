"""The demo clinic ``corneum serve --demo`` seeds: staff, clients, their histories and sessions."""
