import Foundation
import GalleryKit
import SNSVerification
import Testing

struct EventDeliveryTests {
    static func s3Event(_ keys: [(String, String)]) -> String {
        let records = keys.map { name, key in
            #"{"eventVersion":"2.1","eventSource":"aws:s3","eventName":"\#(name)","s3":{"bucket":{"name":"gallery"},"object":{"key":"\#(key)","size":70,"eTag":"abc"}}}"#
        }
        return #"{"Records":[\#(records.joined(separator: ","))]}"#
    }

    @Test func s3EventsDecodeKeysAndIgnoreOtherEvents() throws {
        let body = Self.s3Event([
            ("ObjectCreated:Post", "photos/a+b%2Bc%C3%BC.png"), ("ObjectRemoved:Delete", "photos/gone"),
            ("ObjectCreated:Put", "index.html"),
        ])
        let delivery = try EventDelivery.parse(Data(body.utf8))
        #expect(delivery.createdKeys == ["photos/a b+cü.png", "index.html"])
        #expect(delivery.ignored == 1)
    }

    /// An SNS message with every field its signature covers (the signature itself is not checked
    /// here: that is `SNSSignatureVerifier`'s job, before `/events` acts on it).
    static func sns(_ type: String, message: String = "", subscribeURL: String? = nil) throws -> Data {
        var fields = [
            "Type": type, "MessageId": "m-1", "TopicArn": "arn:aws:sns:us-east-1:123456789012:gallery",
            "Message": message, "Timestamp": "2026-12-02T06:00:00.000Z", "SignatureVersion": "2",
            "Signature": "c2lnbmF0dXJl", "SigningCertURL": "https://sns.us-east-1.amazonaws.com/cert.pem",
        ]
        if let subscribeURL {
            fields["SubscribeURL"] = subscribeURL
            fields["Token"] = "token"
        }
        return try JSONSerialization.data(withJSONObject: fields)
    }

    @Test func snsWrapsTheEventAsAString() throws {
        let inner = Self.s3Event([("ObjectCreated:Post", "photos/x%20y")])
        #expect(try EventDelivery.parse(Self.sns("Notification", message: inner)).createdKeys == ["photos/x y"])
        let test = #"{"Service":"Amazon S3","Event":"s3:TestEvent"}"#
        #expect(try EventDelivery.parse(Self.sns("Notification", message: test)) == EventDelivery(ignored: 1))
        #expect(try EventDelivery.parse(Self.sns("Notification", message: "not JSON")) == EventDelivery(ignored: 1))
        let url = "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=t"
        #expect(
            try EventDelivery.parse(Self.sns("SubscriptionConfirmation", subscribeURL: url)).subscribeURL == url)
        #expect(
            try EventDelivery.parse(Self.sns("UnsubscribeConfirmation", subscribeURL: url)) == EventDelivery(ignored: 1)
        )
        #expect(throws: EventDelivery.Problem.self) {
            try EventDelivery.parse(Self.sns("Weird", subscribeURL: url))
        }
    }

    /// Each source's body decodes once, into its own envelope; a body that claims to be SNS (it has
    /// a `Type`) without the fields SNS signs is told apart, so `/events` can refuse it as unsigned.
    @Test func eachSourceHasItsEnvelope() throws {
        let s3 = Self.s3Event([("ObjectCreated:Post", "photos/a")])
        guard case .s3(let notification) = try EventEnvelope.decode(Data(s3.utf8)) else {
            Issue.record("an S3 notification read as another source")
            return
        }
        #expect(notification.records?.map(\.encodedKey) == ["photos/a"])
        let minio =
            #"{"EventName":"s3:ObjectCreated:Put","Key":"gallery/photos/m","Records":[{"eventName":"s3:ObjectCreated:Put","s3":{"object":{"key":"photos%2Fm"}}}]}"#
        guard case .minio(let webhook) = try EventEnvelope.decode(Data(minio.utf8)) else {
            Issue.record("a MinIO webhook read as another source")
            return
        }
        #expect(webhook.key == "gallery/photos/m")
        #expect(webhook.eventName == "s3:ObjectCreated:Put")
        guard case .sns(let message) = try EventEnvelope.decode(Self.sns("Notification", message: s3)) else {
            Issue.record("an SNS message read as another source")
            return
        }
        #expect(message.topicARN == "arn:aws:sns:us-east-1:123456789012:gallery")
        #expect(message.message == s3)

        for unsigned in [#"{"Type":"Notification","Message":"{}"}"#, #"{"Type":null}"#, #"{"Type":"Weird"}"#] {
            #expect {
                try EventEnvelope.decode(Data(unsigned.utf8))
            } throws: { error in
                if case .unsignedSNS = error as? EventEnvelope.Problem { true } else { false }
            }
        }
        #expect(throws: EventEnvelope.Problem.notAnEvent("The body is not a JSON object.")) {
            try EventEnvelope.decode(Data("[1]".utf8))
        }
    }

    /// Records of shapes the service does not know are counted and ignored, not refused; test
    /// events are ignored whatever their source.
    @Test func oddRecordsAndTestEventsAreIgnored() throws {
        let odd =
            #"{"Records":[1,{"eventName":7,"s3":{"object":{"key":"photos/a"}}},{"eventName":"ObjectCreated:Put","s3":{"object":{"key":5}}},{"eventName":"ObjectCreated:Put","s3":{"object":{"key":"photos/b"}}}]}"#
        #expect(try EventDelivery.parse(Data(odd.utf8)) == EventDelivery(createdKeys: ["photos/b"], ignored: 2))
        for test in [
            #"{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"gallery"}"#, #"{"Event":["s3:TestEvent"]}"#,
            #"{"Event":"s3:TestEvent","Records":null}"#,
        ] {
            #expect(try EventDelivery.parse(Data(test.utf8)) == EventDelivery(ignored: 1))
        }
    }

    @Test func minioWebhookShape() throws {
        let body =
            #"{"EventName":"s3:ObjectCreated:Put","Key":"gallery/photos/m","Records":[{"eventName":"s3:ObjectCreated:Put","s3":{"bucket":{"name":"gallery"},"object":{"key":"photos%2Fm","size":70}}}]}"#
        #expect(try EventDelivery.parse(Data(body.utf8)).createdKeys == ["photos/m"])
    }

    @Test(arguments: [
        "", "[]", "null", "{}", #"{"Type":"Weird"}"#, #"{"Records":"none"}"#, #"{"Service":"S3","Records":{}}"#,
        #"{"Records":[{"eventName":"ObjectCreated:Put","s3":{"object":{"key":"%ZZ"}}}]}"#,
    ])
    func refusesWhatIsNotAnEvent(_ body: String) {
        #expect(throws: EventDelivery.Problem.self) { try EventDelivery.parse(Data(body.utf8)) }
    }
}
