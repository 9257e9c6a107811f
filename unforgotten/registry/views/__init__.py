"""The registry workspace: thin views over the policy, the projection and the action functions."""
