/**
 * Injection tokens for the configuration slices. Consumers receive the typed slice they
 * need (`@Inject(CORE_CONFIG) core: CoreConfig`), never a generic configuration service.
 */
export const CONFIGURATION = Symbol('Configuration');
export const CORE_CONFIG = Symbol('CoreConfig');
export const DATABASE_CONFIG = Symbol('DatabaseConfig');
export const LOGGING_CONFIG = Symbol('LoggingConfig');
export const UDP_TRACKERS_CONFIG = Symbol('UdpTrackersConfig');
export const UDP_TRACKER_SERVER_CONFIG = Symbol('UdpTrackerServerConfig');
export const HTTP_TRACKERS_CONFIG = Symbol('HttpTrackersConfig');
export const HTTP_API_CONFIG = Symbol('HttpApiConfig');
export const HEALTH_CHECK_API_CONFIG = Symbol('HealthCheckApiConfig');
