// Throws while it loads, as a route reading a missing setting at the top level does.
throw new Error('ROUTEWARE_TEST_SETTING is not set')
