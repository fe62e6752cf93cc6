"""aifprep: a terminal study tool for the AWS Certified AI Practitioner exam (AIF-C01)."""

__version__ = "0.1.0"
