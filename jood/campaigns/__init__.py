"""Campaigns: #كليومبيت, the regions' campaigns and the team leagues; gifts attributed to them and their figures."""
