import Foundation

/// The asymmetric keys in use: the one new JWTs are signed with, and previous public keys whose
/// JWTs are still accepted (passthrough) and published (JWKS) through a rotation.
public struct SigningKeys: Sendable {
    public let current: SigningKey
    public let previous: [VerificationKey]

    public init(current: SigningKey, previous: [VerificationKey]) {
        self.current = current
        // The current key among the previous ones (an operator's copy) is published once.
        var seen: Set<String> = [current.keyID]
        self.previous = previous.filter { seen.insert($0.keyID).inserted }
    }

    /// Every public key, the current one first.
    public var publicKeys: [VerificationKey] { [current.publicKey] + previous }

    /// The public keys named by `JWT_PREVIOUS_PUBLIC_KEY_FILE`: comma-separated paths, each a PEM
    /// file with one or more `PUBLIC KEY` blocks, or a directory whose `*.pem` files are read (in
    /// name order; an empty directory is fine, so it can be created before the first rotation).
    /// Problems name the file they are about.
    public static func loadPublicKeys(
        from paths: [String], read: (String) throws -> String
    ) -> (keys: [VerificationKey], problems: [String]) {
        var keys: [VerificationKey] = []
        var problems: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            var files = [path]
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                do {
                    let directory = path.hasSuffix("/") ? path : path + "/"
                    files = try FileManager.default.contentsOfDirectory(atPath: path)
                        .filter { $0.hasSuffix(".pem") && !$0.hasPrefix(".") }.sorted().map { directory + $0 }
                } catch {
                    problems.append("cannot list directory '\(path)'")
                    continue
                }
            }
            for file in files {
                let text: String
                do {
                    text = try read(file)
                } catch {
                    problems.append("cannot read '\(file)'")
                    continue
                }
                let blocks = PEMBlock.blocks(in: text)
                if blocks.isEmpty { problems.append("'\(file)' holds no PEM public key (-----BEGIN PUBLIC KEY-----)") }
                for (index, block) in blocks.enumerated() {
                    do throws(KeyProblem) {
                        keys.append(try VerificationKey.parse(block))
                    } catch {
                        problems.append("'\(file)'\(blocks.count > 1 ? " (block \(index + 1))" : "") \(error)")
                    }
                }
            }
        }
        return (keys, problems)
    }

    /// `JWT_PREVIOUS_PUBLIC_KEY_FILE` split into paths.
    public static func paths(from text: String) -> [String] {
        text.split(separator: ",").map { String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }.filter { !$0.isEmpty }
    }
}
