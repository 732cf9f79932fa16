"""One file per revision, oldest first: v0001_…, v0002_…"""
