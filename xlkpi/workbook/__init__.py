"""Workbooks xlkpi writes: KPI Template, SAR Card, reports (openpyxl; imported on use)."""
