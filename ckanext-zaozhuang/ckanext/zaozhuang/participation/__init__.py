"""Public participation: data requests (需求征集), error reports (纠错), showcases of what
was built on the portal's data (应用成果) and ratings. One subpackage per concept, each of
the usual shape: model, schema, auth, actions, jobs."""
