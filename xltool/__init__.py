"""xltool: budget-performance self-evaluation (预算绩效自评) forms, checks, summaries and reports."""

__version__ = "0.1.0"
