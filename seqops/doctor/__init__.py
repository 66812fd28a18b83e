"""`seqops doctor`: a read-only check of an Outreach account before the first plan.

`examine(client, target)` lists what the provider reads (bounded: one listing per collection
and one count), checks each object's shape against what the provider expects, and reports what
the account uses that manifests cannot express or a first apply would change (`findings`).
"""

from seqops.doctor.examine import examine
from seqops.doctor.findings import Finding, Report

__all__ = ["Finding", "Report", "examine"]
