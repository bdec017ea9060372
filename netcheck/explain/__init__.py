"""The explain stage: solver outcome -> `Answer` (witness replayed by the concrete walker,
proof with AWS Reachability Analyzer codes, or the reason for unknown)."""
