import Foundation

/// The shared `~/.aws/credentials` and `~/.aws/config` files (INI), as the AWS SDKs read them.
struct SharedConfigFiles: Sendable {
    let environment: [String: String]

    var home: String { environment["HOME"] ?? NSHomeDirectory() }
    var profileName: String { environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default" }
    var credentialsPath: String { environment["AWS_SHARED_CREDENTIALS_FILE"] ?? home + "/.aws/credentials" }
    var configPath: String { environment["AWS_CONFIG_FILE"] ?? home + "/.aws/config" }

    /// The profile's settings: the credentials file's section over the config file's.
    func profile() -> [String: String]? {
        let credentials = Self.parse(contentsOf: credentialsPath)[profileName]
        let configSection = profileName == "default" ? "default" : "profile \(profileName)"
        let config =
            Self.parse(contentsOf: configPath)[configSection] ?? Self.parse(contentsOf: configPath)[profileName]
        guard credentials != nil || config != nil else { return nil }
        return (config ?? [:]).merging(credentials ?? [:]) { $1 }
    }

    /// The profile's region from the config file.
    var region: String? { profile()?["region"] }

    static func parse(contentsOf path: String) -> [String: [String: String]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        return parse(text)
    }

    /// INI sections → key/value pairs; `#` and `;` start comments; keys are lower-cased.
    static func parse(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                current = name
                sections[name, default: [:]] = sections[name] ?? [:]
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[current]?[key] = value
        }
        return sections
    }
}
