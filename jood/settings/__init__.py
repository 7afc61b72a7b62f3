"""The admin's platform setting for the points and eligibility policy that scores new cases, and re-scoring."""
