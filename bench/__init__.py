"""`make bench`: measures of the platform on this machine (not tests). See bench/__main__.py."""
