"""Files of the production stack (docker-compose.yml): proxy, Temporal, health checks."""
