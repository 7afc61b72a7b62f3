"""Operations: backup and restore of the database and the uploads (docs/deployment.md, "Backup and restore")."""
