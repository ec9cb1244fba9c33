"""The cross-document rules, one module per rule id (importing this package registers them)."""

from . import (  # noqa: F401
    xdc001_final_budget,
    xdc002_final_previous,
    xdc003_budget_previous,
    xdc004_department_sum,
    xdc005_unit_name,
)
