"""The policy library: the policies cadres explain to enterprises and help them obtain (`forms`, `services`,
`views`, `urls`). Its models, `Policy` and `PolicyDelivery`, stay in visits.models."""
