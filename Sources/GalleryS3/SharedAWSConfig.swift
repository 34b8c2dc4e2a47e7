import Foundation

/// The region and other settings of the shared AWS config files, for the command line.
public enum SharedAWSConfig {
    /// The profile's `region`, if the config file sets one.
    public static func region(environment: [String: String]) -> String? {
        SharedConfigFiles(environment: environment).region
    }
}
